/** Runs once before the suite: later issues add lab services here (tracker, Kamailio, PostgreSQL). */
export default function setup(): void {}
