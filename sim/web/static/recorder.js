/* advsim — the candidate records their answer to a phone call or to a visitor at the
   stand (MediaRecorder). The browser asks for the microphone; the recording is put in
   the form's file field and sent with its duration. Without a microphone, the typed
   answer (the form's data-no-mic says where it is). */
(function () {
  "use strict";
  var form = document.querySelector("form[data-recorder]");
  if (!form) return;
  var record = form.querySelector("[data-record]"), stop = form.querySelector("[data-stop]");
  var send = form.querySelector("[data-send]"), timer = form.querySelector("[data-timer]");
  var preview = form.querySelector("[data-preview]"), file = form.querySelector("[data-file]");
  var duration = form.querySelector("[data-duration]"), problem = form.querySelector("[data-mic-error]");
  var maxSeconds = parseInt(form.getAttribute("data-max-s"), 10) || 300;
  var recorder = null, chunks = [], started = 0, ticking = null;
  var typed = form.getAttribute("data-no-mic") || "écrivez votre compte rendu ci-dessous.";

  function shown(seconds) {
    var s = Math.floor(seconds);
    return Math.floor(s / 60) + ":" + ("0" + (s % 60)).slice(-2);
  }
  function fail(message) {
    problem.textContent = message;
    problem.hidden = false;
    record.disabled = true;
  }
  if (!navigator.mediaDevices || !window.MediaRecorder) {
    fail("Ce navigateur n'enregistre pas le son : " + typed);
    return;
  }
  record.addEventListener("click", function () {
    navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
      var type = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/webm", "audio/mp4"].find(function (t) {
        return MediaRecorder.isTypeSupported(t);
      });
      recorder = new MediaRecorder(stream, type ? { mimeType: type, audioBitsPerSecond: 32000 } : {});
      chunks = [];
      recorder.ondataavailable = function (e) { if (e.data && e.data.size) chunks.push(e.data); };
      recorder.onstop = function () {
        stream.getTracks().forEach(function (t) { t.stop(); });
        clearInterval(ticking);
        var seconds = Math.max(1, Math.round((Date.now() - started) / 1000));
        var blob = new Blob(chunks, { type: (recorder.mimeType || "audio/webm").split(";")[0] });
        var ext = blob.type.indexOf("ogg") >= 0 ? "ogg" : blob.type.indexOf("mp4") >= 0 ? "m4a" : "webm";
        var transfer = new DataTransfer();
        transfer.items.add(new File([blob], "reponse." + ext, { type: blob.type }));
        file.files = transfer.files;
        duration.value = String(seconds);
        preview.src = URL.createObjectURL(blob);
        preview.hidden = false;
        timer.textContent = shown(seconds);
        record.disabled = false;
        record.textContent = "● Recommencer";
        stop.disabled = true;
        send.disabled = false;
      };
      started = Date.now();
      recorder.start(1000);
      record.disabled = true;
      stop.disabled = false;
      send.disabled = true;
      ticking = setInterval(function () {
        var elapsed = (Date.now() - started) / 1000;
        timer.textContent = shown(elapsed);
        if (elapsed >= maxSeconds && recorder.state === "recording") recorder.stop();
      }, 250);
    }).catch(function () {
      fail("Micro indisponible ou refusé : " + typed);
    });
  });
  stop.addEventListener("click", function () {
    if (recorder && recorder.state === "recording") recorder.stop();
  });
})();
