import type { MessageKey } from './en.js';
import { en } from './en.js';
export const nl: Record<MessageKey, string> = { ...en };
