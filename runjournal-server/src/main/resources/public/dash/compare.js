// The compare view: see app.js for the contract (render(root, params) → optional stop function).
import { message } from "./dom.js";

export async function render(root, params) {
  message(root, "The compare view is not built yet.");
}
