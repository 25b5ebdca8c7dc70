// The demo page's script: each part reports what it saw in the page, where the browser test
// (test/demo-chromium.node.test.ts) reads it.
"use strict";

const $ = (id) => document.getElementById(id);
const append = (id, line) => ($(id).textContent += line + "\n");

// Server-sent events: EventSource reconnects by itself, sending Last-Event-ID.
const events = new EventSource("/events");
events.onmessage = (event) => {
  append("events", `#${event.lastEventId} ${event.data}`);
  $("last-id").textContent = event.lastEventId;
};

// Chat: messages go to everyone else in the room; our own are shown as sent.
const chat = new WebSocket(location.origin.replace(/^http/, "ws") + "/chat");
chat.onopen = () => {
  $("chat-send").disabled = false;
  append("log", "joined");
};
chat.onmessage = (event) => append("log", "them: " + event.data);
chat.onclose = (event) => append("log", "closed " + event.code);
$("chat-send").onclick = () => {
  chat.send($("chat-text").value);
  append("log", "me: " + $("chat-text").value);
};

// Upload with progress: XMLHttpRequest reports upload progress; fetch does not.
$("upload-form").onsubmit = (event) => {
  event.preventDefault();
  const request = new XMLHttpRequest();
  request.open("POST", "/upload");
  request.upload.onprogress = (progress) => {
    if (progress.lengthComputable) $("upload-progress").value = progress.loaded / progress.total;
  };
  request.onload = () => {
    $("upload-progress").value = 1;
    $("upload-result").textContent = request.status + " " + request.responseText;
  };
  request.onerror = () => ($("upload-result").textContent = "error");
  request.send(new FormData($("upload-form")));
};
