/**
 * A wallet process that pays one melt quote and is killed by its test while the mint pays (SIGKILL: no cleanup):
 * `node --import tsx test/support/withdraw-child.ts WALLET_FILE MINT_URL UNIT QUOTE`. The test watches the mint's
 * melt quote and kills this process once it is PENDING (the inputs are held and the payment is under way).
 * @module
 */
import { EcashWallet, withdraw } from '../../main/engine/cashu/index.js';
import { startSocksHop } from '../../main/engine/socks-hop/index.js';
import { openWalletDb } from '../../main/engine/wallet/index.js';

const [file, mintUrl, unit, quote] = process.argv.slice(2) as [string, string, string, string];
const db = openWalletDb(file);
const hop = await startSocksHop();
const ecash = new EcashWallet({ db, mintUrl, unit, route: () => hop });
await withdraw(ecash, quote);
