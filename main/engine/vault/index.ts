/**
 * The household's data at rest (issue 14 §1): a private data folder, the wallet's key, and the encrypted SQLite seam.
 * @module
 */
export { FILE_MODE, FOLDER_MODE, describeFixes, secureDataFolder, type PermissionFixes } from './permissions.js';
export { HOW_TO_UNLOCK, KEY_FILE, keyMatches, rememberKey, walletKey, type WalletKey, type WalletUnlock } from './key.js';
export { KEYCHAIN_SERVICE, keychainKey } from './keychain.js';
export { encryptInPlace, isClearSqlite, openSqlite, type Db } from './sqlite.js';
