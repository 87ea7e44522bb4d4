package http

// CheckUpload exports checkUpload to the tests.
var CheckUpload = checkUpload
