export { routeRequest, type SocksRoute, type RouteRequest, type RouteResponse, type JsonCodec } from './socks-route.js';
export { routeWebSocket } from './socks-websocket.js';
export { cleartextRefusal } from './transport.js';
