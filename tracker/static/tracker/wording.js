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
    const field = (name) => input.form && input.form.elements[input.name.replace(/wording$/, name)];
    const category = field("category"), outcome = field("outcome");
    const query = {wording: input.value, category: category ? category.value : "", outcome: outcome ? outcome.value : ""};
    const response = await fetch(endpoint + "?" + new URLSearchParams(query), {
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
    offerBreakdown(input, reading, answer);
  }

  // A wording that holds more claims than one ("12 civilians, including 4 children") is offered
  // as further claims: on a claim's page by ticking "also add", on an event's page as new rows.
  function offerBreakdown(input, reading, answer) {
    let offer = reading.nextElementSibling;
    if (!offer || !offer.classList.contains("wording-breakdown")) {
      offer = document.createElement("div");
      offer.className = "wording-breakdown help";
      reading.insertAdjacentElement("afterend", offer);
    }
    offer.replaceChildren();
    if (!answer.breakdown || !answer.breakdown.length) return;
    const text = document.createElement("span");
    text.textContent = answer.breakdown_message + " ";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button wording-breakdown-add";
    const tick = input.form && input.form.elements["add_breakdown"];
    button.textContent = tick ? answer.breakdown_tick : answer.breakdown_add;
    button.addEventListener("click", function () {
      if (tick) {
        tick.checked = true;
      } else {
        answer.breakdown.forEach((part) => addRow(input, part));
      }
      offer.replaceChildren();
    });
    offer.append(text, button);
  }

  // Add a row to the inline the wording was typed in, with the part's count and the typed row's
  // party, source, date, side and wording.
  function addRow(input, part) {
    const prefix = input.name.replace(/-\d+-wording$/, "");
    const from = input.name.replace(/wording$/, "");
    const group = document.getElementById(prefix + "-group");
    const adder = group && group.querySelector(".add-row a");
    if (!adder) return;
    adder.click();
    const rows = group.querySelectorAll(".inline-related:not(.empty-form)");
    const row = rows[rows.length - 1];
    const to = row.id.replace(/^(.*)-(\d+)$/, "$1-$2-");
    const form = input.form.elements;
    for (const name of ["party", "source", "victim_side", "claimed_on", "wording"]) {
      copyField(form[from + name], form[to + name]);
    }
    const values = {
      category: part.category, subgroup: part.subgroup, outcome: part.outcome, qualifier: part.qualifier,
      low: part.low, best: part.best, high: part.high,
    };
    for (const [name, value] of Object.entries(values)) {
      if (form[to + name]) form[to + name].value = value === null ? "" : value;
    }
  }

  function copyField(source, target) {
    if (!source || !target) return;
    if (target instanceof HTMLSelectElement && source instanceof HTMLSelectElement) {
      // An autocomplete holds only its chosen option: carry the option over with the value.
      const chosen = source.selectedOptions[0];
      if (chosen && ![...target.options].some((option) => option.value === chosen.value)) {
        target.append(new Option(chosen.text, chosen.value, true, true));
      }
    }
    target.value = source.value;
    target.dispatchEvent(new Event("change", {bubbles: true}));
  }

  // The breakdown offered depends on the claim's category and outcome: read again when they change.
  document.addEventListener("change", function (event) {
    const select = event.target;
    if (!(select instanceof HTMLSelectElement) || !/(^|-)(category|outcome)$/.test(select.name)) return;
    const wording = select.form && select.form.elements[select.name.replace(/(category|outcome)$/, "wording")];
    if (wording && wording.value) preview(wording);
  });

  document.addEventListener("input", function (event) {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || !/(^|-)wording$/.test(input.name)) return;
    clearTimeout(timers.get(input));
    timers.set(input, setTimeout(() => preview(input), 300));
  });
})();
