/**
 * Saves text as a file through the browser's download (a Blob URL): the same in browser mode and in Electron's
 * renderer. What is saved goes to the household's disk only, never on screen or to the network.
 */
export function saveFile(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}
