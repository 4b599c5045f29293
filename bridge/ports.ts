/**
 * Finding the meter's port: by path, or by the USB vendor/product id of a P1 cable or a Sipster
 * meter's USB CDC interface. `SerialPort.list()` reads udev (Debian package udev) on Linux.
 * @module
 */
import { SerialPort } from 'serialport';
import { LinkError } from './errors.js';

export interface PortCandidate {
  path: string;
  manufacturer?: string;
  serialNumber?: string;
  vendorId?: string;
  productId?: string;
}

export async function listPorts(): Promise<PortCandidate[]> {
  try {
    return (await SerialPort.list()).map(({ path, manufacturer, serialNumber, vendorId, productId }) => ({
      path, ...(manufacturer ? { manufacturer } : {}), ...(serialNumber ? { serialNumber } : {}),
      ...(vendorId ? { vendorId } : {}), ...(productId ? { productId } : {}),
    }));
  } catch (cause) {
    throw new LinkError('port', 'cannot list serial ports (is udevadm installed?)', { cause });
  }
}

/** A USB id as `1a86` or `0x1A86`; compared case-insensitively. */
const normId = (id: string) => id.toLowerCase().replace(/^0x/, '').padStart(4, '0');

/** @returns the path of the first port with this USB vendor (and product) id, or null. */
export async function findPort(vendorId: string, productId?: string): Promise<string | null> {
  const match = (await listPorts()).find(
    (p) => p.vendorId !== undefined && normId(p.vendorId) === normId(vendorId) && (productId === undefined || (p.productId !== undefined && normId(p.productId) === normId(productId))),
  );
  return match?.path ?? null;
}
