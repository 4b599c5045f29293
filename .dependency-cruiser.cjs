// Each room lists what it MAY import; anything else fails `npm test` (style.md §7, architecture.md §Folders).
// !!! Do not relax these rules: add a package here only with a reason in the commit. !!!
const may = (room, allowed, { node = false } = {}) => ({
  name: `${room.replace(/\//g, '-')}-imports`,
  severity: 'error',
  from: { path: `^${room}/`, pathNot: '\\.test\\.ts$' },
  to: { pathNot: `^(${allowed.join('|')})`, ...(node ? { dependencyTypesNot: ['core'] } : {}) },
});
const pkg = (...n) => n.map((x) => `node_modules/${x}/`);

module.exports = {
  forbidden: [
    may('protocol', ['protocol/', ...pkg('@noble/curves', '@noble/hashes')]),
    // Faster implementations of protocol/'s CurveBackend interface (native blst, node:crypto).
    // secp256k1: Cashu's scheme on libsecp256k1 (cashu-secp256k1.ts), shared by the mint, the UC and the engine.
    may('curve-backends', ['curve-backends/', 'protocol/', ...pkg('@chainsafe/blst', 'secp256k1')], { node: true }),
    may('meter-emulator', ['meter-emulator/', 'protocol/', 'curve-backends/', ...pkg('serialport', '@serialport/[^/]+')], { node: true }),
    // Follow mode joins the two: the bridge reads a real meter, the emulator makes its tokens (neither may import the other).
    may('meter-follow', ['meter-follow/', 'meter-emulator/', 'bridge/', 'protocol/', 'curve-backends/'], { node: true }),
    may('bridge', ['bridge/', 'protocol/', 'curve-backends/', ...pkg('serialport', '@serialport/[^/]+')], { node: true }),
    may('main/api', ['main/api/']),
    // secp256k1: the seed scan's curve work on libsecp256k1 (main/engine/cashu/native-restore.ts), as the mint's.
    may('main/engine', ['main/engine/', 'main/api/', 'protocol/', 'curve-backends/', 'bridge/', ...pkg('better-sqlite3', 'better-sqlite3-multiple-ciphers', '@napi-rs/keyring', 'socks', 'ws', '@cashu/cashu-ts', '@scure/bip39', 'secp256k1')], { node: true }),
    may('main/host', ['main/host/', 'main/engine/', 'main/api/', ...pkg('fastify', '@fastify/[^/]+', 'ws')], { node: true }),
    // main/host/index.ts only: the engine process reads the launch options and answers calls as every host does.
    may('main/electron', ['main/electron/', 'main/engine/', 'main/api/', 'main/host/index\\.ts$', ...pkg('electron')], { node: true }),
    // The window: Preact, uPlot, qrcode (the top-up invoice) and intl-messageformat (its four languages) only; vite.config.ts is build tooling, not shipped.
    { ...may('renderer', ['renderer/', 'main/api/', ...pkg('uplot', 'preact', 'qrcode', 'intl-messageformat')]), from: { path: '^renderer/', pathNot: ['\\.test\\.ts$', '^renderer/vite\\.config\\.ts$'] } },
    may('uc', ['uc/', 'protocol/', 'curve-backends/', ...pkg('fastify', '@fastify/[^/]+', 'fastify-plugin', '@sinclair/typebox', 'better-sqlite3', 'pg', '@cashu/cashu-ts')], { node: true }),
    may('mint', ['mint/', 'curve-backends/', ...pkg('@noble/curves', '@noble/hashes', '@scure/base', 'fastify', '@fastify/type-provider-typebox', '@sinclair/typebox', 'better-sqlite3', '@cashu/cashu-ts', 'ws', 'light-bolt11-decoder', 'secp256k1')], { node: true }),
    { name: 'preload-is-tiny', severity: 'error', from: { path: '^main/electron/preload[^/]*\\.ts$', pathNot: '\\.test\\.ts$' },
      to: { pathNot: ['^main/api/', '^node_modules/electron/'] } },
    { name: 'renderer-sees-types-only', severity: 'error', from: { path: '^renderer/' },
      to: { path: '^main/api/', dependencyTypesNot: ['type-only'] } },
    { name: 'enter-through-index', severity: 'error', from: { path: '^([^/]+)/', pathNot: ['\\.test\\.ts$', '^(test|scripts|bench)/'] },
      to: { path: '^(protocol|curve-backends|meter-emulator|meter-follow|bridge|main|renderer|uc|mint)/',
            pathNot: ['^$1/', '^[^/]+/index\\.ts$', '^main/[^/]+/index\\.ts$'] } },
    { name: 'shell-uses-engine-index', severity: 'error', from: { path: '^main/(electron|host)/' },
      to: { path: '^main/engine/', pathNot: '^main/engine/index\\.ts$' } },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    { name: 'not-to-unresolvable', severity: 'error', from: {}, to: { couldNotResolve: true } },
    { name: 'not-to-tests', severity: 'error', from: { pathNot: '\\.test\\.ts$|^test/' }, to: { path: '\\.test\\.ts$|^test/' } },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)/' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
