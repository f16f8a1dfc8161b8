// A page's main-thread tasks by their own CPU time, from Chromium's trace. The wall clock
// (PerformanceObserver 'longtask') counts the time a task waited for a core: on a shared
// 2-core machine a task of 20 ms of work can take 60 ms of wall time.
//
//   const tasks = await traceTasks(page);   before page.goto: the whole visit is traced
//   await tasks.over(50, fromMs)            -> [{ atMs, cpuMs, wallMs }] tasks of the page's
//                                              main thread that began at or after fromMs (its
//                                              performance.now()) and took over 50 ms of CPU

export async function traceTasks(page) {
  const cdp = await page.context().newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', (d) => events.push(...d.value));
  await cdp.send('Tracing.start', {
    categories: 'devtools.timeline,disabled-by-default-devtools.timeline',
    transferMode: 'ReportEvents',
  });
  return {
    async over(budgetMs, fromMs) {
      // One moment on both clocks, taken on the page's main thread: it also names that thread.
      const syncNow = await page.evaluate(() => {
        console.timeStamp('streamlab-cpu-sync');
        return performance.now();
      });
      const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
      await cdp.send('Tracing.end');
      await complete;
      await cdp.detach();
      const sync = events.find((e) => e.name === 'TimeStamp' && e.args?.data?.message === 'streamlab-cpu-sync');
      if (!sync) throw new Error('the sync mark is not in the trace');
      const toPage = (ts) => syncNow + (ts - sync.ts) / 1000;
      const tasks = events.filter(
        (e) => e.ph === 'X' && e.name === 'RunTask' && e.pid === sync.pid && e.tid === sync.tid,
      );
      if (tasks.length < 10) throw new Error(`the trace holds only ${tasks.length} main-thread tasks`);
      return tasks
        .filter((t) => toPage(t.ts) >= fromMs && (t.tdur ?? t.dur) / 1000 > budgetMs)
        .map((t) => ({
          atMs: Math.round(toPage(t.ts)),
          cpuMs: +((t.tdur ?? t.dur) / 1000).toFixed(1),
          wallMs: +(t.dur / 1000).toFixed(1),
        }));
    },
  };
}
