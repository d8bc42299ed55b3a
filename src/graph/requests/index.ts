export { immutableIdPreference, messagePath, messageValueRequest, messageByIdRequest, messagePatchRequest, messageMoveRequest, type MessageRef } from './message-requests.ts';
export { messageDeltaRequest, messageSizeExpand, messageSizeProperty, readMessageSize } from './message-delta-request.ts';
export { createDraftRequest, type CreateDraftRequestOptions, type CreateDraftRequest } from './create-draft-request.ts';
export { sendDraftRequest, type SendDraftRequestOptions, type SendDraftRequest } from './send-draft-request.ts';
export { findMessageRequest, type FindMessageRequestOptions, type FindMessageRequest } from './find-message-request.ts';
export { getMessageStateRequest, type GetMessageStateRequestOptions, type GetMessageStateRequest } from './get-message-state-request.ts';
export { createSubscription, renewSubscription, reauthorizeSubscription, deleteSubscription, subscriptionResource, type GraphSubscription, type CreateSubscriptionOptions } from './subscription-requests.ts';
