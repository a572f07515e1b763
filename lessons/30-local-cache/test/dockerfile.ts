import { readFileSync } from 'node:fs'

/** One instruction of a Dockerfile: its keyword (FROM, RUN, COPY …) and the rest of it. */
export interface Instruction {
  keyword: string
  args: string
}

/** A stage: a FROM (its image, and its name after AS) and the instructions up to the next. */
export interface Stage {
  image: string
  name?: string
  instructions: Instruction[]
}

/**
 * Read the lesson's Dockerfile, enough for the tests: comments and parser directives left out,
 * lines ending in \ joined to the next, each instruction split into its keyword and the rest,
 * grouped into stages. The ARGs before the first FROM fill in `${NAME}` in the FROM lines.
 */
export function readDockerfile(file = new URL('../Dockerfile', import.meta.url)) {
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => !line.trim().startsWith('#'))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => line.trim() !== '')
  const args: Record<string, string> = {}
  const stages: Stage[] = []
  for (const line of lines) {
    const [, keyword = '', rest = ''] = /^\s*(\w+)\s*(.*)$/.exec(line) ?? []
    const instruction = { keyword: keyword.toUpperCase(), args: rest.replace(/\s+/g, ' ').trim() }
    if (instruction.keyword === 'ARG' && stages.length === 0) {
      const [name = '', value = ''] = instruction.args.split('=')
      args[name] = value
    } else if (instruction.keyword === 'FROM') {
      const [image = '', as, name] = instruction.args.split(' ')
      const filled = image.replace(/\$\{(\w+)\}/g, (_, arg: string) => args[arg] ?? '')
      stages.push({
        image: filled,
        name: as?.toUpperCase() === 'AS' ? name : undefined,
        instructions: [],
      })
    } else {
      stages.at(-1)?.instructions.push(instruction)
    }
  }
  return { args, stages }
}

/** The instructions of a stage with this keyword. */
export function all(stage: Stage | undefined, keyword: string): Instruction[] {
  return stage?.instructions.filter((instruction) => instruction.keyword === keyword) ?? []
}

/** The variables the ENV instructions of a stage set (the NAME=value form). */
export function environment(stage: Stage | undefined): Record<string, string> {
  const pairs = all(stage, 'ENV').flatMap(({ args }) => args.split(' '))
  return Object.fromEntries(pairs.map((pair) => pair.split('=') as [string, string]))
}

/** A command in exec form, `["node", "dist/server.mjs"]`, as its list; undefined for a shell one. */
export function execForm(command: string): string[] | undefined {
  try {
    const list = JSON.parse(command)
    return Array.isArray(list) && list.every((item) => typeof item === 'string') ? list : undefined
  } catch {
    return undefined
  }
}

/** The HEALTHCHECK of a stage: its options (`--interval=10s` …) and its command. */
export function healthcheck(stage: Stage | undefined) {
  const args = all(stage, 'HEALTHCHECK').at(-1)?.args ?? ''
  const [options = '', command = ''] = args.split(/\bCMD\b/)
  return { options: options.trim().split(' ').filter(Boolean), command: execForm(command.trim()) }
}
