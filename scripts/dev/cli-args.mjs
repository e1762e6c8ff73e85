/** `npm run dev -- <args>`: what the dev script reads from the arguments it passes to `wrangler dev`. */

/**
 * The last value of a flag given as `--name value` or `--name=value`.
 * @param {string[]} args
 * @param {string[]} names
 */
export function flagValue(args, names) {
  /** @type {string | undefined} */
  let value;
  args.forEach((arg, i) => {
    for (const name of names) {
      if (arg === name && i + 1 < args.length) value = args[i + 1];
      else if (arg.startsWith(`${name}=`)) value = arg.slice(name.length + 1);
    }
  });
  return value;
}

/**
 * Flags of `wrangler dev` that change which local database the D1 commands must touch.
 * @param {string[]} devArgs
 */
export function d1ArgsFrom(devArgs) {
  const shared = [['--env', '-e'], ['--config', '-c'], ['--persist-to']];
  return shared.flatMap((names) => {
    const value = flagValue(devArgs, names);
    return value === undefined ? [] : [names[0], value];
  });
}
