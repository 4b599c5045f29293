export { routeRequest, type SocksRoute, type RouteRequest, type RouteResponse } from './socks-route.js';
