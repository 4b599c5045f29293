/**
 * The meter link (issues 3, 13): port discovery, network meters (TCP, HomeWizard), telegram reader with resync,
 * validation, drop-and-count, deduplication of carousel repeats, and typed events for the engine; encrypted P1 and
 * DLMS push meters opened with node:crypto (dlms-reader.ts).
 * @module
 */
export { LinkError, DROP_REASONS, type LinkErrorCode, type DropReason } from './errors.js';
export { LinkReader, newCounters, type LinkReaderOptions, type LinkEvent, type LinkCounters, type MeterKeys, type TelegramResult } from './link-reader.js';
export { listPorts, findPort, productOf, type PortCandidate } from './ports.js';
export { probeP1, probePorts, PROBE_LISTEN_MS, PROBE_LISTEN_MS_22 } from './probe.js';
export { openSerialLink, type SerialLink, type SerialLinkOptions, type LineSettings } from './serial-link.js';
export { openNetworkLink, parseNetworkSource, networkAddress, type NetworkSource, type NetworkLinkOptions } from './network-link.js';
export { meterKeysFromJson, telegramResultToJson } from './json.js';
export { DlmsLinkReader, type DlmsReaderOptions } from './dlms-reader.js';
export { nodeGcm } from './gcm.js';
