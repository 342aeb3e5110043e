// Bring the highlighted passage into view when the page was opened without its anchor.
(function () {
  var hit = document.querySelector(".passage.hit");
  if (hit && !window.location.hash) { hit.scrollIntoView({ block: "center" }); }
})();
