// Updates a batch's progress bar without reloading the page (polls the JSON endpoint each second).
"use strict";
(function () {
  var box = document.querySelector("[data-progress-url]");
  if (!box) { return; }
  var url = box.getAttribute("data-progress-url");
  var bar = box.querySelector("progress");
  var labels = {};
  try { labels = JSON.parse(box.getAttribute("data-labels") || "{}"); } catch (e) { labels = {}; }
  if (box.getAttribute("data-state") === "done") { return; }
  function field(name) { return box.querySelector('[data-field="' + name + '"]'); }
  function tick() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        bar.max = data.total; bar.value = data.done;
        field("done").textContent = data.done;
        field("total").textContent = data.total;
        var list = field("by_status");
        list.textContent = "";
        Object.keys(data.by_status).forEach(function (status) {
          var item = document.createElement("li");
          var badge = document.createElement("span");
          badge.className = "status status-" + status;
          badge.textContent = labels[status] || status;
          item.appendChild(badge);
          item.appendChild(document.createTextNode(" " + data.by_status[status]));
          list.appendChild(item);
        });
        if (data.state === "done") {
          field("state").textContent = box.getAttribute("data-done-text") || "finished";
          // The result (what changed per subject) is rendered by the server: show it.
          if (box.hasAttribute("data-reload-when-done")) { window.location.reload(); }
        } else {
          window.setTimeout(tick, 1000);
        }
      })
      .catch(function () { window.setTimeout(tick, 3000); });
  }
  window.setTimeout(tick, 500);
}());
