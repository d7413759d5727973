"""What shows the data: Qt-free models beside the Qt and VTK views that draw them."""
