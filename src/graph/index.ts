/** The only code that speaks HTTP to Microsoft Graph. */
export { createGraphClient, type GraphClientOptions } from './create-graph-client.ts';
export type { GraphClient, RequestOptions, BatchRequest, BatchResponse, DeltaPage } from './graph-client-types.ts';
export { createCallCounter, type GraphCallCounter } from './call-counter.ts';
export { mapGraphError, type GraphErrorContext } from './map-graph-error.ts';
export { escapeODataString } from './escape-odata-string.ts';
export { resolveMailFolder, wellKnownFolderNames } from './resolve-mail-folder.ts';
export { userPath } from './user-path.ts';
export { batchBodyBytes, maxBatchSize } from './run-batch.ts';
export { createDraftRequest, type CreateDraftRequestOptions, type CreateDraftRequest } from './requests/create-draft-request.ts';
export { sendDraftRequest, type SendDraftRequestOptions, type SendDraftRequest } from './requests/send-draft-request.ts';
export { findMessageRequest, type FindMessageRequestOptions, type FindMessageRequest } from './requests/find-message-request.ts';
export { getMessageStateRequest, type GetMessageStateRequestOptions, type GetMessageStateRequest } from './requests/get-message-state-request.ts';
