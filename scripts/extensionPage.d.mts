// Types of scripts/extensionPage.mjs for the TypeScript tests.
export interface ImageReference { alt: string; src: string; start: number; end: number; text: string }
export const pageSource: string;
export const pageOutput: string;
export function imageReferences(markdown: string): ImageReference[];
export function pngSize(bytes: Buffer): { width: number; height: number } | undefined;
export function dataUriBytes(src: string): { mimeType: string; bytes: Buffer } | undefined;
export function inlineImages(markdown: string, baseDir: string): string;
export function writeExtensionPage(): string;
export function vsixEntries(vsixPath: string): Promise<Map<string, Buffer>>;
export function shippedPageProblems(entries: Map<string, Buffer>): string[];
