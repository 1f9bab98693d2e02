// Concord's screens work without this script; it adds check all / uncheck all, keeps a line's
// three choices consistent, and follows a run's progress without reloading the page.
(function () {
    "use strict";

    // The preview: one line may show in both panes; its boxes move together.
    var choice = document.getElementById("choice");
    if (choice) {
        var boxes = function (name, key) {
            return Array.prototype.slice.call(choice.querySelectorAll("input[type=checkbox][name=" + name + "]"))
                .filter(function (box) { return key === undefined || box.value === key; });
        };
        choice.addEventListener("change", function (event) {
            var box = event.target;
            if (!box.name) { return; }
            boxes(box.name, box.value).forEach(function (other) { other.checked = box.checked; });
            if (box.checked && (box.name === "skip" || box.name === "never")) {
                boxes("sel", box.value).forEach(function (other) { other.checked = false; });
                boxes(box.name === "skip" ? "never" : "skip", box.value).forEach(function (other) { other.checked = false; });
            }
            if (box.checked && box.name === "sel") {
                boxes("skip", box.value).concat(boxes("never", box.value)).forEach(function (other) { other.checked = false; });
            }
        });
        Array.prototype.forEach.call(choice.querySelectorAll("[data-check]"), function (button) {
            button.addEventListener("click", function () {
                var on = button.getAttribute("data-check") === "all";
                boxes("sel").forEach(function (box) { box.checked = on; });
                if (on) { boxes("skip").concat(boxes("never")).forEach(function (box) { box.checked = false; }); }
            });
        });
    }

    // A run: ask the server how far it has come; once it has ended, show its report.
    var live = document.querySelector("[data-live]");
    if (live && live.getAttribute("data-state") === "running") {
        var follow = function () {
            fetch(live.getAttribute("data-live"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
                .then(function (response) { return response.ok ? response.json() : null; })
                .then(function (run) {
                    if (!run) { setTimeout(follow, 2000); return; }
                    if (run.state !== "running") { window.location.reload(); return; }
                    var bar = live.querySelector("[data-field=bar]");
                    if (bar && run.total !== null) { bar.max = Math.max(run.total, 1); bar.value = run.done; }
                    var step = live.querySelector("[data-field=step]");
                    if (step) { step.textContent = run.total !== null ? run.done + " of " + run.total + " " + run.step : run.step; }
                    setTimeout(follow, 500);
                })
                .catch(function () { setTimeout(follow, 2000); });
        };
        setTimeout(follow, 300);
    }
}());
