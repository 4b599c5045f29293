import { describe, expect, it } from 'vitest';
import { LineFull, Slots } from './slots.js';

describe('Slots', () => {
  it('runs at most max at once, lines up at most maxQueued, refuses the rest at once', async () => {
    const slots = new Slots(1, 1);
    let open = () => {};
    const held = new Promise<void>((r) => (open = r));
    const order: string[] = [];
    const first = slots.run(async () => (await held, order.push('first')));
    const second = slots.run(async () => order.push('second'));
    await expect(slots.run(async () => order.push('third'))).rejects.toBeInstanceOf(LineFull);
    open();
    await Promise.all([first, second]);
    expect(order).toEqual(['first', 'second']);
    expect(await slots.run(async () => 'again')).toBe('again'); // every slot was given back
  });

  it('gives a slot back once however often it is released', async () => {
    const slots = new Slots(1, 0);
    const release = await slots.acquire();
    release();
    release();
    const next = await slots.acquire();
    await expect(slots.acquire()).rejects.toBeInstanceOf(LineFull);
    next();
  });
});
