import { jobOf, success, type OperationHandler } from './types.js';

/** POST …/obs/sync: starts a sync with the settings in force now; a start while one runs joins it. */
export const startObsSync: OperationHandler = {
  run(request) {
    const job = jobOf(request);
    job.sync.start(request.state.syncSettingsFor(job.record.dlsId));
    return success();
  },
};

/** GET …/obs/sync-status: 0 never started, 3 running, then 1 done or 2 failed. */
export const showObsSyncStatus: OperationHandler = {
  run(request) {
    return success({ sync_status: jobOf(request).sync.currentStatus() });
  },
};
