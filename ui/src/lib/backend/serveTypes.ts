// The local server: stream links for players and a WebDAV drive over the library,
// served by the desktop shell on this computer. The shapes come from the Rust types
// (generated bindings).
export type { ExportReport, MountResult, ServeOptions, ServeStatus, StreamInfo } from './bindings';
