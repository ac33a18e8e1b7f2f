// Preloaded (node --import) into the CLI by the Ctrl-C test: says on stderr when the CLI
// installs its SIGINT listener, so that the test interrupts the simulation, not start-up
// (a SIGINT before the listener exists kills node by the signal). Changes nothing else.
import { writeSync } from "node:fs";

process.on("newListener", (event) => {
  if (event === "SIGINT") writeSync(2, "sigint-listener-ready\n");
});
