import { describeTrackerSuite } from './tracker-suite.ts';

describeTrackerSuite('sqlite');
