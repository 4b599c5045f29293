export { routeRequest, type SocksRoute, type RouteRequest, type RouteResponse, type JsonCodec } from './socks-route.js';
