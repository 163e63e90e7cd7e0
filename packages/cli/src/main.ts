/** Entry point of the `onshi` command. */
process.stdout.write('onshi: not yet wired\n');
