#!/usr/bin/env node
import { runFromProcess } from "../dist/mqrel.js";

await runFromProcess();
