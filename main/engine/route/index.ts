export { routeRequest, type SocksRoute, type RouteRequest, type RouteResponse, type JsonCodec } from './socks-route.js';
export { cleartextRefusal } from './transport.js';
