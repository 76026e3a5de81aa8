// Entry point: mounts the wizard shell.
import { mount } from "svelte";
import App from "./App.svelte";
import "./app.css";
import { listProfilesEarly } from "./ipc";
import { mark } from "./lib/shown";

mark("script");
// The first step needs them: the engine reads them while the window is being drawn.
listProfilesEarly();

const target = document.getElementById("app");
if (!target) throw new Error("index.html has no #app element");

mount(App, { target });
mark("mounted");
