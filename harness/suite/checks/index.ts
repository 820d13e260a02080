/** Declarative checks usable from any suite; each throws a CheckFailure naming the server and the problem. */
export { CheckFailure } from './failure.js';
export { expectPackage } from './package.js';
export { expectService } from './service.js';
export { expectListening } from './port.js';
export { expectFile, type FileExpectation } from './file.js';
export { expectUser, expectGroup } from './user.js';
export { expectCronJob, type CronExpectation } from './cron.js';
export { expectHttp, httpFrom, type HttpResponse } from './http.js';
export { expectNoFailedUnits, expectNoNewErrors, bootTime, type AllowedLine, type FailedUnitsOptions } from './health.js';
