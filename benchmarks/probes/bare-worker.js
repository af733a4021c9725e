// Pyodide 0.27.7 + numpy the documented fastest way (`packages` makes loadPyodide fetch numpy
// while the interpreter boots), then one numpy computation: the teacher's softmax at T = 2.
// INDEX_URL is replaced with the Pyodide distribution's URL relative to this file.
const indexURL = new URL("INDEX_URL", import.meta.url).href;
const { loadPyodide } = await import(indexURL + "pyodide.mjs");
const pyodide = await loadPyodide({ indexURL, packages: ["numpy"] });
postMessage(
  pyodide.runPython(`
import numpy as np
z = np.array([6.2, 2.8, 2.6, 1.9, 1.5, -0.5, -1.1, -1.4]) / 2.0
p = np.exp(z - z.max())
float((p / p.sum())[0])
`),
);
