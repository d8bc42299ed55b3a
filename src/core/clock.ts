/** Time is passed in, so pure code never reads the clock and tests can fix it. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
