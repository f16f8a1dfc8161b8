// Chromium's own trace of a page, for the checks and benchmarks that time its main thread by
// each task's CPU time. The wall clock (PerformanceObserver 'longtask') also counts the time a
// task waited for a core: on a shared 2-core machine a task of 20 ms of work can take 60 ms.
//
//   const tracing = await startTrace(page, extra)   extra: categories beyond the timeline's
//   const events = await tracing.end()              every trace event since the start
//   mainThreads(events)                             the events of renderer main threads
//   mainTasks(events)                               their tasks (RunTask; tdur: CPU µs)
//   const tasks = await traceTasks(page)            before page.goto: the whole visit
//   await tasks.over(50, fromMs)                    -> [{ atMs, cpuMs, wallMs }], the page's
//       main-thread tasks from fromMs (its performance.now()) on that took over 50 ms of CPU

const TIMELINE = ['devtools.timeline', 'disabled-by-default-devtools.timeline'];

export async function startTrace(page, extra = []) {
  const cdp = await page.context().newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', (d) => events.push(...d.value));
  await cdp.send('Tracing.start', { categories: [...TIMELINE, ...extra].join(','), transferMode: 'ReportEvents' });
  return {
    async end() {
      const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
      await cdp.send('Tracing.end');
      await complete;
      await cdp.detach().catch(() => {}); // the page may be closing
      return events;
    },
  };
}

export function mainThreads(events) {
  const names = new Map(events.filter((e) => e.name === 'thread_name').map((e) => [`${e.pid}:${e.tid}`, e.args.name]));
  return events.filter((e) => names.get(`${e.pid}:${e.tid}`) === 'CrRendererMain');
}

export const mainTasks = (events) => mainThreads(events).filter((e) => e.ph === 'X' && e.name === 'RunTask');

export async function traceTasks(page) {
  const tracing = await startTrace(page);
  return {
    async over(budgetMs, fromMs) {
      // One moment on both clocks, taken on the page's main thread: it also names that thread.
      const syncNow = await page.evaluate(() => {
        console.timeStamp('streamlab-cpu-sync');
        return performance.now();
      });
      const events = await tracing.end();
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
