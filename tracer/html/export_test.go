package html

// PackAbove lets a test pack a small page's data, as a big page's.
var PackAbove = &packAbove
