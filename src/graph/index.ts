/** The only code that speaks HTTP to Microsoft Graph. */
export { createGraphClient, type GraphClientOptions } from './create-graph-client.ts';
export type { GraphClient, RequestOptions, BatchRequest, BatchResponse, DeltaPage } from './graph-client-types.ts';
export { createCallCounter, type GraphCallCounter } from './call-counter.ts';
export { mapGraphError, type GraphErrorContext } from './map-graph-error.ts';
export { escapeODataString } from './escape-odata-string.ts';
export { resolveMailFolder, wellKnownFolderNames, type FolderListings } from './resolve-mail-folder.ts';
export { userPath } from './user-path.ts';
export { batchBodyBytes, maxBatchSize } from './run-batch.ts';
export * from './requests/index.ts';
