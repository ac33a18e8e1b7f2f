/** The built bundle's entry: bin/mqrel.js imports this and nothing else. */
export { runFromProcess } from "./main.js";
