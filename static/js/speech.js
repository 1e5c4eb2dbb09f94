// Read aloud (#19), progressive enhancement: a text without an uploaded recording
// gets a "Read aloud" button, shown only when the browser can speak the text's
// language (the Web Speech API has a voice for it). Without JavaScript, or
// without such a voice, nothing is shown and nothing is lost.
(function () {
  "use strict";
  if (!("speechSynthesis" in window) || !("SpeechSynthesisUtterance" in window)) {
    return;
  }
  var synth = window.speechSynthesis;

  function voiceFor(lang) {
    var base = (lang || "").split("-")[0].toLowerCase(); // sv-x-lattlast is read as Swedish
    var voices = synth.getVoices();
    for (var i = 0; i < voices.length; i += 1) {
      if (voices[i].lang.toLowerCase().split(/[-_]/)[0] === base) {
        return voices[i];
      }
    }
    return null;
  }

  function setUp() {
    var holders = document.querySelectorAll("[data-speak-for]");
    Array.prototype.forEach.call(holders, function (holder) {
      var voice = voiceFor(holder.getAttribute("data-speak-lang"));
      var button = holder.querySelector("button");
      if (!voice || !button || button.getAttribute("data-ready")) {
        return;
      }
      button.setAttribute("data-ready", "1");
      holder.hidden = false;
      var label = button.textContent;
      button.addEventListener("click", function () {
        if (synth.speaking) {
          synth.cancel();
          button.textContent = label;
          return;
        }
        var target = document.getElementById(holder.getAttribute("data-speak-for"));
        var utterance = new SpeechSynthesisUtterance(target ? target.innerText : "");
        utterance.voice = voice;
        utterance.lang = voice.lang;
        utterance.onend = function () {
          button.textContent = label;
        };
        button.textContent = button.getAttribute("data-label-stop");
        synth.speak(utterance);
      });
    });
  }

  setUp();
  if (typeof synth.addEventListener === "function") {
    synth.addEventListener("voiceschanged", setUp);
  }
})();
