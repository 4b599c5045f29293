export { periodEvidence } from './evidence.js';
