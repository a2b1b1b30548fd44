// Progressive enhancement only: every page works without this file.
(function () {
  // A form sent back with errors: its summary takes the focus (autofocus does it where honoured), and each of its
  // links puts the cursor in the field it names, the field's label in view.
  var summary = document.getElementById("error-summary");
  if (summary) {
    if (document.activeElement !== summary) summary.focus();
    summary.querySelectorAll("a[href^='#f-']").forEach(function (link) {
      link.addEventListener("click", function (event) {
        var input = document.getElementById(link.getAttribute("href").slice(1));
        if (!input) return;
        event.preventDefault();
        var label = document.querySelector("label[for='" + input.id + "']");
        (label || input).scrollIntoView();
        input.focus({ preventScroll: true });
      });
    });
  }
  // Picking a district shows its wards at once (without script, the "Continue" button does the same).
  document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
    select.addEventListener("change", function () { if (select.value) select.form.submit(); });
  });
  // A phone's camera photo (3-8 MB) goes at most data-max-side pixels across (~300 KB): it reaches the server on
  // a crowded network, and the server would keep no more than that anyway. Any failure sends the original.
  document.querySelectorAll("input[type=file][data-max-side]").forEach(function (input) {
    var pending = null;
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file || !window.createImageBitmap || !window.DataTransfer) return;
      var side = parseInt(input.getAttribute("data-max-side"), 10);
      var job = createImageBitmap(file).then(function (bitmap) {
        var scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
        if (scale === 1) return null;
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(bitmap.width * scale);
        canvas.height = Math.round(bitmap.height * scale);
        canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
        return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", 0.85); });
      }).then(function (blob) {
        if (!blob || input.files[0] !== file) return;  // a photo taken again meanwhile stays
        var smaller = new DataTransfer();
        smaller.items.add(new File([blob], file.name.replace(/\.[^.]*$/, "") + ".jpg", { type: "image/jpeg" }));
        input.files = smaller.files;
      }).catch(function () {}).then(function () { if (pending === job) pending = null; });
      pending = job;
    });
    // Sent before the photo is ready, the form waits for it.
    input.form.addEventListener("submit", function (event) {
      if (!pending) return;
      event.preventDefault();
      pending.then(function () { input.form.requestSubmit(); });
    });
  });
  // The courier sees the photo chosen before sending it (without script the form sends it all the same). A data:
  // URL, as the pages' content policy allows images from nowhere else.
  document.querySelectorAll("img[data-preview-for]").forEach(function (img) {
    var input = document.getElementById(img.getAttribute("data-preview-for"));
    if (!input || !window.FileReader) return;
    var latest = null;
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      img.hidden = !file;
      if (!file) return;
      var reader = latest = new FileReader();
      reader.onload = function () { if (latest === reader) img.src = reader.result; };  // the last photo chosen
      reader.readAsDataURL(file);
    });
  });
  // Someone asking for help now can send the phone's location with the address (without script, or refused by
  // the person, the address alone goes). The words come from the page, in its language.
  document.querySelectorAll("button[data-locate]").forEach(function (button) {
    if (!navigator.geolocation) return;
    var fields = button.closest("fieldset");
    var status = fields.querySelector(".locate-status");
    button.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = status.getAttribute("data-locating");
      navigator.geolocation.getCurrentPosition(function (position) {
        fields.querySelector("input[name=latitude]").value = position.coords.latitude.toFixed(6);
        fields.querySelector("input[name=longitude]").value = position.coords.longitude.toFixed(6);
        var metres = String(Math.round(position.coords.accuracy));
        status.textContent = status.getAttribute("data-located").replace("{metres}", metres);
      }, function () {
        status.textContent = status.getAttribute("data-failed");
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
  });
  // A second tap on a slow connection must not send the form twice (the server also treats it as one).
  document.querySelectorAll("form[method=post]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) {
        setTimeout(function () { b.disabled = true; }, 0);
      });
    });
  });
})();
