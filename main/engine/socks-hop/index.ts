export { startSocksHop, isLoopback, type SocksHop, type SocksHopOptions, type SocksConnect } from './socks-hop.js';
