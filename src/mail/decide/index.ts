export { decideMessage, threadReferences, joinsTicket, type DecideInput, type Decided } from './decide-message.ts';
