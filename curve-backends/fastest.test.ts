import { describe, expect, it, vi } from 'vitest';

describe('fastestBackend', () => {
  it('is native blst where its binary loads (Node 20 here)', async () => {
    const { fastestBackend } = await import('./index.js');
    expect(fastestBackend().name).toBe('blst');
  });

  it('falls back to noble when the native binding cannot load (Electron before blst is built for its ABI)', async () => {
    vi.resetModules();
    vi.doMock('./blst.js', () => ({ blstBackend: () => { throw new Error("Cannot find module 'blst.node'"); } }));
    const { fastestBackend } = await import('./index.js');
    expect(fastestBackend().name).toBe('noble');
    vi.doUnmock('./blst.js');
  });
});
