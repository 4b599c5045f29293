/**
 * Finding the meter's port: by path, or by the USB vendor/product id of a P1 cable or a Sipster
 * meter's USB CDC interface. `SerialPort.list()` reads udev (Debian package udev) on Linux.
 * @module
 */
import { SerialPort } from 'serialport';
import { LinkError } from './errors.js';

type PortInfo = Awaited<ReturnType<typeof SerialPort.list>>[number];

export interface PortCandidate {
  path: string;
  manufacturer?: string;
  /** The USB product name, read from the /dev/serial/by-id name (udev gives no other). */
  product?: string;
  serialNumber?: string;
  vendorId?: string;
  productId?: string;
}

/**
 * The product part of a by-id name `usb-<vendor>_<model>_<serial>-if<NN>[-port<N>]`, spaces for underscores;
 * undefined when the name does not have that shape.
 */
export function productOf(pnpId: string | undefined, serialNumber: string | undefined): string | undefined {
  const m = /^usb-(.+?)(?:-if\d+)?(?:-port\d+)?$/.exec(pnpId ?? '');
  if (!m) return undefined;
  let rest = m[1]!;
  if (serialNumber && rest.endsWith(`_${serialNumber}`)) rest = rest.slice(0, -serialNumber.length - 1);
  const parts = rest.split('_');
  const model = parts.length > 1 ? parts.slice(1) : parts; // the first part is the vendor
  return model.join(' ').trim() || undefined;
}

/** Serial ports with their USB names; `list` is the binding's lister (a mock binding's in unit tests). */
export async function listPorts(list: () => Promise<PortInfo[]> = () => SerialPort.list()): Promise<PortCandidate[]> {
  try {
    return (await list()).map(({ path, manufacturer, serialNumber, vendorId, productId, pnpId }) => {
      const product = productOf(pnpId, serialNumber);
      return {
        path, ...(manufacturer ? { manufacturer } : {}), ...(product ? { product } : {}), ...(serialNumber ? { serialNumber } : {}),
        ...(vendorId ? { vendorId } : {}), ...(productId ? { productId } : {}),
      };
    });
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
