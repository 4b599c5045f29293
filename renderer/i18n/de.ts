import type { MessageKey } from './en.js';
import { en } from './en.js';
export const de: Record<MessageKey, string> = { ...en };
