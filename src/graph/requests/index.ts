export { immutableIdPreference, messagePath, messageValueRequest, messageByIdRequest, messagePatchRequest, messageMoveRequest, type MessageRef } from './message-requests.ts';
export { messageDeltaRequest } from './message-delta-request.ts';
