// A tag inserted by page script after load (as next/script does); flags that it ran.
window.__lateTagRan = true;
