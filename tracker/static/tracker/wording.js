// As staff type a claim's wording, show how the tracker will read the count, before saving.
// The reading comes from the server, so that there is one parser; without JavaScript the
// form still reads the wording on save and says how it read it.
"use strict";
(function () {
  const endpoint = document.currentScript.dataset.endpoint;
  const timers = new WeakMap();

  function readingFor(input) {
    let reading = input.parentElement.querySelector(".wording-reading");
    if (!reading) {
      reading = document.createElement("div");
      reading.className = "wording-reading help";
      reading.setAttribute("aria-live", "polite");
      input.insertAdjacentElement("afterend", reading);
    }
    return reading;
  }

  async function preview(input) {
    const response = await fetch(endpoint + "?" + new URLSearchParams({wording: input.value}), {
      credentials: "same-origin",
      headers: {Accept: "application/json"},
    });
    if (!response.ok) return;
    const answer = await response.json();
    const reading = readingFor(input);
    const qualifier = input.form && input.form.elements[input.name.replace(/wording$/, "qualifier")];
    if (qualifier && qualifier.value) {
      // A chosen qualifier wins over the wording on save; say so rather than promise a reading.
      reading.textContent = answer.qualifier_chosen;
    } else {
      reading.textContent = answer.message;
    }
    reading.classList.toggle("wording-unread", !answer.understood);
  }

  document.addEventListener("input", function (event) {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || !/(^|-)wording$/.test(input.name)) return;
    clearTimeout(timers.get(input));
    timers.set(input, setTimeout(() => preview(input), 300));
  });
})();
