import { SerialPortMock } from 'serialport';
import { describe, expect, it } from 'vitest';
import { listPorts, productOf } from './index.js';

describe('listing serial ports', () => {
  it('gives each port its USB names (mock binding: a pty is not listed by the real one)', async () => {
    const { binding } = SerialPortMock;
    binding.reset();
    binding.createPort('/dev/ttyUSB0', { manufacturer: 'FTDI', vendorId: '0403', productId: '6001' });
    binding.createPort('/dev/ttyS0', {});
    const ports = await listPorts(() => SerialPortMock.list());
    expect(ports).toEqual([
      expect.objectContaining({ path: '/dev/ttyUSB0', manufacturer: 'FTDI', vendorId: '0403', productId: '6001' }),
      expect.objectContaining({ path: '/dev/ttyS0' }),
    ]);
    binding.reset();
  });

  it('leaves out the names udev does not know', async () => {
    const info = { path: '/dev/ttyUSB1', manufacturer: undefined, serialNumber: 'A10KZP45', pnpId: 'usb-FTDI_FT232R_USB_UART_A10KZP45-if00-port0',
      locationId: undefined, vendorId: '0403', productId: undefined };
    expect(await listPorts(async () => [info])).toEqual([{ path: '/dev/ttyUSB1', product: 'FT232R USB UART', serialNumber: 'A10KZP45', vendorId: '0403' }]);
  });

  it("reads the product name from udev's by-id name", () => {
    expect(productOf('usb-FTDI_FT232R_USB_UART_A10KZP45-if00-port0', 'A10KZP45')).toBe('FT232R USB UART');
    expect(productOf('usb-Silicon_Labs_CP2102_USB_to_UART_Bridge_Controller_0001-if00-port0', '0001')).toBe('Labs CP2102 USB to UART Bridge Controller');
    expect(productOf(undefined, undefined)).toBeUndefined();
    expect(productOf('pci-0000:00:16.3', undefined)).toBeUndefined();
  });
});
