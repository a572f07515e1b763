// autocannon ships no types; these are the parts of its programmatic API that bench.ts uses.
declare module 'autocannon' {
  interface Options {
    url: string
    connections?: number
    /** Seconds. */
    duration?: number
    method?: string
    headers?: Record<string, string>
    body?: string
    /** Request templates, used in turn; setupRequest may change each request (its path …). */
    requests?: {
      setupRequest?: (request: RequestData) => RequestData
    }[]
  }
  interface RequestData {
    method?: string
    path?: string
    headers?: Record<string, string>
    body?: string
  }
  interface Histogram {
    average: number
    p50: number
    p99: number
    max: number
  }
  interface Result {
    requests: Histogram & { total: number }
    latency: Histogram
    errors: number
    timeouts: number
    non2xx: number
  }
  function autocannon(options: Options): Promise<Result>
  export default autocannon
}
