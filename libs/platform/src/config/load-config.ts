import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, type ValidationError } from 'class-validator';
import type { ConfigProblem, PlatformConfig } from './platform-config';

export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((problem) => `  - ${problem.variable}: ${problem.expected}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

export type ConfigClass<T extends PlatformConfig> = new () => T;

/**
 * Reads the variables the class declares (and only those) from `env`, converts and validates
 * them, and returns a typed instance. Throws ConfigError naming every bad variable at once, so an
 * operator fixes them in one round rather than one restart per variable.
 */
export function loadConfig<T extends PlatformConfig>(
  schema: ConfigClass<T>,
  env: NodeJS.ProcessEnv = process.env,
): T {
  const variables = declaredVariables(schema);
  const plain: Record<string, string> = {};
  for (const variable of variables) {
    const value = env[variable];
    // An empty value (`PORT=` in an .env file) means "not set", so the default applies.
    if (value !== undefined && value.trim() !== '') plain[variable] = value.trim();
  }
  const config = plainToInstance(schema, plain);
  config.resolveDefaults();
  const problems = flatten(validateSync(config, { forbidUnknownValues: false }));
  if (problems.length === 0) problems.push(...config.crossCheck());
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** Like loadConfig, but prints the problems and stops the process: for `main.ts`. */
export function loadConfigOrExit<T extends PlatformConfig>(
  schema: ConfigClass<T>,
  env: NodeJS.ProcessEnv = process.env,
): T {
  try {
    return loadConfig(schema, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee libs/platform/ENV.md and .env.example.\n`);
      process.exit(1);
    }
    throw error;
  }
}

function declaredVariables(schema: ConfigClass<PlatformConfig>): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(schema, '', true, false);
  return [...new Set(metadata.map((entry) => entry.propertyName))];
}

function flatten(errors: ValidationError[]): ConfigProblem[] {
  return errors.map((error) => {
    const constraints = error.constraints ?? {};
    // A missing required value fails every constraint; say "is required" rather than listing them.
    const missing = error.value === undefined;
    const messages = [...new Set(Object.values(constraints))];
    return {
      variable: error.property,
      expected: missing ? `is required (${messages[0]})` : messages.join('; '),
    };
  });
}
