// Loaded in <head>, before the page is painted: says that the form's script will run, so that the
// stylesheet lays the page out as the script will (one step shown, navigation in place) instead of
// showing every step and collapsing them once the script starts (a layout shift).
document.documentElement.classList.add('js-form');
